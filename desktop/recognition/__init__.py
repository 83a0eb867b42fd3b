"""Qt-free recognition: the drawing model, optdigits-style preprocessing, the recogniser."""
