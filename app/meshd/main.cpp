// meshd: the Meshscope mesh core and its command line. Composition root only.
#include <iostream>
#include <string>
#include <vector>

#include "cli/meshd_cli.h"

int main(int argc, char **argv)
{
    return meshcore::cli::runMeshd(std::vector<std::string>(argv + 1, argv + argc), std::cout,
                                   std::cerr);
}
