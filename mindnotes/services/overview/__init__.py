"""Looking back: the dashboard, calendar, insights and the figures behind them."""
