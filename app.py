"""Ask Brenda in the browser: ``streamlit run app.py`` (or ``askbrenda serve``)."""

from askbrenda.ui.app import main

main()
