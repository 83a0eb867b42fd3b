"""Qt-free training data: load_digits, augmentation, synthetic digits, your samples."""
