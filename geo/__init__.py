"""Pure geometry, data and statistics for Buffer-zone mapper (no front-end code here).

Submodules
----------
settings   constants: ellipsoid, data folder, dates
data       loaders for the embedded data set
geodesy    geodesic areas, lengths and distances
buffering  geodesic buffers (geo.buffer)
partition  the land cut into country/unit pieces (fast breakdowns)
frontline  the line of contact as of a date, or from a user's occupied-area file
contact    the edge of a held area that faces the other side (the line of contact)
loc_change what changed hands between two snapshots of the line of contact
population dasymetric population model
raster     population from a user raster
figures    measure(): area, people, breakdowns, largest settlements
io         reading user files safely, writing RFC 7946 GeoJSON
frontline  the line of contact on a date (who holds what, the line itself)
loc_readers occupied-area files: DeepStateMap daily/history/JSON, ISW, any polygon file
loc_history the dated history of the line (built-in dates + loaded lines, in the user cache)
output     geometry made valid at the written precision, right-hand rule
"""

from geo._errors import BufferZoneError, DataFileError, InputError, ParameterError
from geo.buffering import buffer
from geo.figures import AREA_METHOD, NO_DATA, Measurement, measure, overlap, people_text
from geo.geodesy import area_km2, distance_km, length_km

__all__ = [
    "AREA_METHOD",
    "BufferZoneError",
    "DataFileError",
    "InputError",
    "NO_DATA",
    "Measurement",
    "ParameterError",
    "area_km2",
    "buffer",
    "distance_km",
    "length_km",
    "measure",
    "overlap",
    "people_text",
]
