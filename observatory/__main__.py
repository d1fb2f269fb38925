"""`python -m observatory build|check|referential …`"""

import sys

from observatory.cli import main

sys.exit(main())
