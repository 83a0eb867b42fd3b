"""Widgets the tabs and dialogs share: the canvas, views of cells and bitmaps, controls."""
