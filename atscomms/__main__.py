from atscomms.cli.app import main

main()
