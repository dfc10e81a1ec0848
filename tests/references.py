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

#: Ukrstat, *Чисельність наявного населення України на 1 січня 2022 року*: present population of
#: towns near the line of contact and elsewhere, read by hand from the KSE-Loc-Data-Hub
#: republication, apart from the transcription that ``data/sources/settlement_population.csv``
#: was made from. Town (modern English name) → (ISO 3166-2 of its oblast, people).
UKRSTAT_TOWNS_2022 = {
    "Toretsk": ("UA-14", 30_914), "Kostiantynivka": ("UA-14", 67_350), "Shakhtarsk": ("UA-14", 48_208),
    "Bakhmut": ("UA-14", 71_094), "Snizhne": ("UA-14", 45_767), "Druzhkivka": ("UA-14", 53_977),
    "Avdiivka": ("UA-14", 31_392), "Myrnohrad": ("UA-14", 46_098), "Pokrovsk": ("UA-14", 60_127),
    "Kramatorsk": ("UA-14", 147_145), "Sloviansk": ("UA-14", 105_141), "Mariupol": ("UA-14", 425_681),
    "Yasynuvata": ("UA-14", 34_144), "Kurakhove": ("UA-14", 18_220), "Marhanets": ("UA-12", 44_980),
    "Nikopol": ("UA-12", 105_160), "Pokrov": ("UA-12", 37_493), "Ternivka": ("UA-12", 26_961),
    "Zhovti Vody": ("UA-12", 42_052), "Zhmerynka": ("UA-05", 33_754), "Khmilnyk": ("UA-05", 26_916),
    "Novovolynsk": ("UA-07", 49_772), "Korosten": ("UA-18", 61_496), "Malyn": ("UA-18", 25_172),
}

#: Statistics Poland (GUS), *Powierzchnia i ludność w przekroju terytorialnym w 2024 r.*, table of
#: towns: population on 31 Dec 2023, read by hand from the republication Nimplex/geo-pres
#: ``data/dane.csv`` (TERYT code, name, county, ha, km², people...), apart from the transcription
#: that ``data/sources/settlement_population.csv`` was made from. Town → people.
GUS_TOWNS_2023 = {
    "Lublin": 329_565, "Biała Podlaska": 54_453, "Chełm": 57_214, "Zamość": 58_231,
    "Świdnik": 36_680, "Łuków": 27_159, "Lubartów": 19_734, "Łęczna": 17_665,
}


#: Estonia's 15 counties on 1 January 2023, on the borders of the October 2017 reform (Statistics
#: Estonia, as tabulated in the article "Counties of Estonia", stored as a mirror of its mobile
#: page: "As of 2023"); the model holds Statistics Estonia's counties of 1 January 2017 on the
#: older borders Natural Earth draws, not these.
ESTONIAN_COUNTIES_2023 = {
    "EE-37": 638_076, "EE-39": 8_474, "EE-45": 133_358, "EE-50": 27_739, "EE-52": 30_072,
    "EE-56": 20_688, "EE-60": 59_608, "EE-64": 24_036, "EE-68": 87_418, "EE-71": 34_038,
    "EE-74": 31_919, "EE-79": 162_390, "EE-81": 28_114, "EE-84": 45_637, "EE-87": 34_317,
}
#: Statistics Estonia, "Extraordinary year for population statistics" (16 May 2023): 1,365,884
#: people lived in Estonia on 1 January 2023.
ESTONIA_2023 = 1_365_884
