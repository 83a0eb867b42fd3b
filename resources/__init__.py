"""Bundled data of the desktop app (trained model, icons); installed as desktop.resources."""
