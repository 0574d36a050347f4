# The systems the fleet's machines run; perSystem outputs exist for these only.
{
  systems = [
    "aarch64-darwin"
    "x86_64-linux"
  ];
}
