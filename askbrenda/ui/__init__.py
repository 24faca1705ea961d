"""The Streamlit front end: the only part of Ask Brenda that imports streamlit."""
