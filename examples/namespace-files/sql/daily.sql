SELECT count(*) FROM orders WHERE day = CURRENT_DATE;
