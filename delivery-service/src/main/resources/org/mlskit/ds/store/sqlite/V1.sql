-- Schema 1 (SQLite). Ids of messages only ever grow (AUTOINCREMENT): they are the mailbox cursors.
CREATE TABLE server_keys (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE users (user_id TEXT PRIMARY KEY, created BIGINT NOT NULL);
CREATE TABLE devices (
  dev INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL REFERENCES users(user_id),
  device_id TEXT NOT NULL,
  suite INT NOT NULL,
  signature_key BLOB NOT NULL,
  key_canonical BLOB NOT NULL UNIQUE,
  credential BLOB NOT NULL,
  acked BIGINT NOT NULL DEFAULT 0,
  last_resort_claimed INT NOT NULL DEFAULT 0,
  created BIGINT NOT NULL,
  UNIQUE (user_id, device_id));
CREATE TABLE challenges (challenge BLOB PRIMARY KEY, user_id TEXT NOT NULL, device_id TEXT NOT NULL, expires BIGINT NOT NULL);
CREATE TABLE key_packages (
  ref BLOB PRIMARY KEY,
  dev INTEGER NOT NULL REFERENCES devices(dev),
  suite INT NOT NULL,
  last_resort INT NOT NULL,
  bytes BLOB NOT NULL,
  not_after BIGINT NOT NULL,
  claimed BIGINT,
  uploaded BIGINT NOT NULL);
CREATE INDEX key_packages_free ON key_packages (dev, suite, last_resort, claimed);
CREATE TABLE rooms (
  group_id BLOB PRIMARY KEY,
  suite INT NOT NULL,
  epoch BIGINT NOT NULL,
  epoch_from BIGINT NOT NULL,
  group_info BLOB NOT NULL,
  created BIGINT NOT NULL);
CREATE TABLE messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id BLOB,
  kind INT NOT NULL,
  epoch BIGINT NOT NULL,
  sender INTEGER,
  bytes BLOB NOT NULL,
  created BIGINT NOT NULL);
CREATE INDEX messages_room ON messages (group_id, id);
CREATE TABLE memberships (
  group_id BLOB NOT NULL,
  dev INTEGER NOT NULL REFERENCES devices(dev),
  leaf INT NOT NULL,
  from_id BIGINT NOT NULL,
  until_id BIGINT,
  PRIMARY KEY (group_id, dev, from_id));
CREATE INDEX memberships_dev ON memberships (dev, group_id);
CREATE INDEX memberships_leaf ON memberships (group_id, leaf);
CREATE TABLE direct (
  dev INTEGER NOT NULL REFERENCES devices(dev),
  msg BIGINT NOT NULL,
  PRIMARY KEY (dev, msg));
CREATE INDEX direct_msg ON direct (msg);
