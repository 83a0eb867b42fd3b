"""Background work and timing for the widgets: worker threads, jobs, later turns."""
