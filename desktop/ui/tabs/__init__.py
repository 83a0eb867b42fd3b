"""The window's three tabs: Draw, Inside and Train."""
