"""The root Pulumi program: builds the stage named by config `gridops:stage`.

pulumi stack select fargate   # reads stacks/Pulumi.fargate.yaml
pulumi up
"""

from stacks import run_stage

run_stage()
