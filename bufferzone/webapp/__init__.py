"""Helpers of the Streamlit app that do not need Streamlit: scenario state and folium maps."""
