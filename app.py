"""Buffer-zone mapper's web app from a source checkout: ``streamlit run app.py``.

The front end is ``bufferzone/webapp/streamlit_app.py``, shipped in the package and started
by ``bufferzone app`` when installed. Streamlit serves the web assets from ``static/`` beside
the script it was given, so a checkout starts this file, beside its ``static/``, and it runs
the front end as this script.
"""

from bufferzone.webapp.launch import run_front_end

run_front_end(globals())
