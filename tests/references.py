"""Published facts typed by hand for the tests, independent of ``data/`` (the reference the
embedded data and the layers are checked against).
"""

from __future__ import annotations

#: NATO, "Member countries": accession date (ISO) → members that joined on it.
NATO_ACCESSIONS = {
    "1949-04-04": {"BEL", "CAN", "DNK", "FRA", "ISL", "ITA", "LUX", "NLD", "NOR", "PRT", "GBR", "USA"},
    "1952-02-18": {"GRC", "TUR"},
    "1955-05-09": {"DEU"},
    "1982-05-30": {"ESP"},
    "1999-03-12": {"CZE", "HUN", "POL"},
    "2004-03-29": {"BGR", "EST", "LVA", "LTU", "ROU", "SVK", "SVN"},
    "2009-04-01": {"ALB", "HRV"},
    "2017-06-05": {"MNE"},
    "2020-03-27": {"MKD"},
    "2023-04-04": {"FIN"},
    "2024-03-07": {"SWE"},
}
