# The systems the fleet's machines run; perSystem outputs exist for these only.
{
  systems = [ "x86_64-linux" ];
}
