"""The keyword components the RobotASGI library class combines, one per area."""
