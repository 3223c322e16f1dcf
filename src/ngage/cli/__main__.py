from ngage.cli.main import app

app(prog_name="ngage")
