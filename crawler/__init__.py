"""newswatch: topic crawling, syndicated-copy de-duplication and story search."""

__version__ = "0.1.0"
