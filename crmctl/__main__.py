import sys

from crmctl.cli import main

sys.exit(main())
