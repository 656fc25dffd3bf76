"""Keep captured cell output bounded: while it streams in, and once more when the cell is done."""

from __future__ import annotations

import json

import nbformat


class StreamingOutputCap:
    """Admits a cell's output messages until they add up to `limit` characters; counts the rest.

    A notebook that prints without end costs the grader `limit` characters per cell, not the
    whole stream (the messages themselves are bounded by the socket's message-size cap).
    Errors always get through: they are what a student needs to see.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.kept = 0
        self.dropped = 0

    def admit(self, msg: dict) -> bool:
        """Whether to keep this output message; a stream message is cut to what still fits."""
        if msg["msg_type"] == "error":
            return True
        content = msg.get("content", {})
        room = self.limit - self.kept
        if msg["msg_type"] == "stream":
            text = content.get("text", "")
            if len(text) > room:
                content["text"], self.dropped = text[:room], self.dropped + len(text) - room
            self.kept += len(content["text"])
            return bool(content["text"])
        size = len(json.dumps(content.get("data", {})))
        if size <= room:
            self.kept += size
            return True
        self.dropped += size
        return False


def truncate_middle(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else its head and tail around a marker."""
    if len(text) <= limit:
        return text
    half = max(limit // 2, 1)
    dropped = len(text) - 2 * half
    return f"{text[:half]}\n… [{dropped:,} characters of output removed] …\n{text[-half:]}"


def cap_cell_outputs(cell: nbformat.NotebookNode, limit: int, dropped: int = 0) -> None:
    """Shrink a cell's outputs in place so that each stays within `limit` characters, and say
    how much output never reached the grader (`dropped`, counted while it streamed)."""
    kept = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            output["text"] = truncate_middle(output.get("text", ""), limit)
        elif len(json.dumps(output.get("data", {}))) > limit:
            output = nbformat.v4.new_output(
                "stream", name="stdout", text=f"[a {output.get('output_type')} output over {limit:,} characters was removed]\n"
            )
        kept.append(output)
    if dropped:
        kept.append(nbformat.v4.new_output(
            "stream", name="stdout", text=f"[{dropped:,} more characters of output were not kept]\n"))
    cell["outputs"] = kept
