from obec_audit.cli import main

raise SystemExit(main())
