"""HIL suite: runs against real boards. Boards are found from NB_HIL_BOARDS (a board
description file) or by probing the adapters; without one every test skips with the reason."""
