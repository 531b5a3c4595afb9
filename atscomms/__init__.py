"""atscomms: config-as-code for recruiting communications."""

__version__ = "0.1.0"
