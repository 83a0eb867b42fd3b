"""A trained network out of Digit Pad: as ONNX, or as a NumPy-only script (no Qt)."""
