from atscomms.cli.launch import main

main()
