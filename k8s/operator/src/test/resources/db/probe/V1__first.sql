-- Two migrations, so that DatabaseProbeTest reads the latest version Flyway recorded.
CREATE TABLE probe_first (id int PRIMARY KEY);
