module loadserver

go 1.22
