"""The Train tab's parts: the form, the live view of a run, its plots and its results."""
