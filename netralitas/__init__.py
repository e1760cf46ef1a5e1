"""Netralitas ASN: course content, learner widgets, nbgrader glue and HR reports."""

__version__ = "0.1.0"
