"""Keep captured cell output bounded: long text keeps its head and tail, big rich outputs go."""

from __future__ import annotations

import json

import nbformat


def truncate_middle(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else its head and tail around a marker."""
    if len(text) <= limit:
        return text
    half = max(limit // 2, 1)
    dropped = len(text) - 2 * half
    return f"{text[:half]}\n… [{dropped:,} characters of output removed] …\n{text[-half:]}"


def cap_cell_outputs(cell: nbformat.NotebookNode, limit: int) -> None:
    """Shrink a cell's outputs in place so that each stays within `limit` characters."""
    kept = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            output["text"] = truncate_middle(output.get("text", ""), limit)
        elif len(json.dumps(output.get("data", {}))) > limit:
            output = nbformat.v4.new_output(
                "stream", name="stdout", text=f"[a {output.get('output_type')} output over {limit:,} characters was removed]\n"
            )
        kept.append(output)
    cell["outputs"] = kept
