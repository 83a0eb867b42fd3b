"""Can Qt open a window here? Checked before Qt is loaded, so a missing piece is said plainly.

Without a display, or without one of the system libraries Qt's Linux platform plugins
load, Qt aborts with its own message, which names one library even when several are
missing. This check names them all, with the command that installs them. No Qt here.
"""

from __future__ import annotations

import ctypes
import os
import sys

# Debian/Ubuntu package -> the shared library Qt loads from it.
OFFSCREEN_LIBRARIES = {
    "libgl1": "libGL.so.1",
    "libegl1": "libEGL.so.1",
    "libfontconfig1": "libfontconfig.so.1",
    "libxkbcommon0": "libxkbcommon.so.0",
    "libglib2.0-0": "libglib-2.0.so.0",
    "libdbus-1-3": "libdbus-1.so.3",
}
WINDOW_LIBRARIES = {
    **OFFSCREEN_LIBRARIES,
    "libxcb-cursor0": "libxcb-cursor.so.0",
    "libxcb-icccm4": "libxcb-icccm.so.4",
    "libxcb-image0": "libxcb-image.so.0",
    "libxcb-keysyms1": "libxcb-keysyms.so.1",
    "libxcb-render-util0": "libxcb-render-util.so.0",
    "libxcb-shape0": "libxcb-shape.so.0",
    "libxkbcommon-x11-0": "libxkbcommon-x11.so.0",
}


def missing_packages(libraries: dict[str, str]) -> list[str]:
    """The packages whose library the dynamic loader cannot find."""
    missing = []
    for package, library in libraries.items():
        try:
            ctypes.CDLL(library)
        except OSError:
            missing.append(package)
    return missing


def problem(environment: dict[str, str] | None = None) -> str | None:
    """What stops Qt from starting on this Linux machine, in plain words, or None."""
    if not sys.platform.startswith("linux"):
        return None
    env = os.environ if environment is None else environment
    platform = env.get("QT_QPA_PLATFORM", "")
    x_window = False  # an X11 window (Qt's xcb plugin), whose display can be asked
    if platform.startswith(("offscreen", "minimal", "vnc", "eglfs", "linuxfb")):
        needed = OFFSCREEN_LIBRARIES
    elif platform.startswith("wayland") or (not platform and env.get("WAYLAND_DISPLAY")):
        needed = OFFSCREEN_LIBRARIES
    else:
        x_window = True
        if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
            return (
                "Digit Pad needs a display, and none was found (neither DISPLAY nor "
                "WAYLAND_DISPLAY is set). Start it from a desktop session, or render the "
                "window to a picture without one: digit-pad --screenshot shot.png"
            )
        needed = WINDOW_LIBRARIES
    missing = missing_packages(needed)
    if missing:
        return (
            "Qt cannot start: these system libraries are missing: "
            f"{', '.join(missing)}. Install them with (as root, leave out sudo):\n"
            f"    sudo apt-get install -y {' '.join(missing)}"
        )
    display = env.get("DISPLAY", "")
    if x_window and display and not x_display_answers(display):
        return (
            f"Digit Pad cannot open a window: the display {display!r} (the DISPLAY "
            "variable) does not answer. Start it from a desktop session, check DISPLAY, "
            "or render the window to a picture without one: digit-pad --screenshot shot.png"
        )
    return None


def x_display_answers(display: str) -> bool:
    """True if an X server accepts a connection on ``display`` (as Qt's xcb plugin would)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # cannot ask here: Qt will
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)  # never NULL, even on failure
    try:
        return bool(xcb.xcb_connection_has_error(connection) == 0)
    finally:
        xcb.xcb_disconnect(connection)
