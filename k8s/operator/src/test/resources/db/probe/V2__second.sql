CREATE TABLE probe_second (id int PRIMARY KEY);
