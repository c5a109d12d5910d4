"""The task's reference runs (make reproduce) and the analyses of them."""
