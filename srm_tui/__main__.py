from srm_tui.cli import main

raise SystemExit(main())
