"""The demo: ``manage.py load_demo`` loads each app's demo data (portfolio.demo,
programmes.demo, resources.demo) and prints the logins. It sits above every other app.
"""
