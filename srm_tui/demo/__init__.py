"""The built-in demo account: moto's server on 127.0.0.1, seeded with a realistic,
deliberately imperfect account. It is an emulated account, never real AWS."""

from srm_tui.demo.server import DEMO_REGIONS, DemoAccount, demo_account

__all__ = ["DEMO_REGIONS", "DemoAccount", "demo_account"]
