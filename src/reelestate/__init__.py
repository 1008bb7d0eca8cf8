"""ReelEstate Studio: turns a property listing into a finished marketing video."""

__version__ = "0.1.0"
