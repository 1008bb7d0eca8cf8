"""REST API v1: thin routes over the repositories, the jobs service and the storyboard tools."""
