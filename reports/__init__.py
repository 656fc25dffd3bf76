"""Feedback reports (HTML and Markdown, English and Persian) and grade exports, from result records."""
