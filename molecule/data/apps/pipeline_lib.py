"""A module the pipeline tests' application imports from its py_files zip."""


def first_number(line):
    return int(line.split(",", 1)[0])
