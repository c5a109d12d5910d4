"""How similarity's rule was chosen: calibration, engines, benchmark."""
