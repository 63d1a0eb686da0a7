import sys

from routes_dash.cli import main

sys.exit(main())
