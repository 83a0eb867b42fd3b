"""Digit Pad: the PySide6 desktop application around nncore."""
