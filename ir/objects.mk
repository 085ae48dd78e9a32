# ir/: the IR shared by every frontend and backend (layer 2).
core-y += ir/builder.o
core-y += ir/info.o
core-y += ir/verify.o
core-y += ir/print.o
core-y += ir/opt.o
