"""Qt-free training: the Train tab's configuration, the training process, fine-tuning."""
