-- The catalogue's database is POSTGRES_DB (veiviser); Rasa's tracker store gets one of its own.
CREATE DATABASE rasa OWNER veiviser;
