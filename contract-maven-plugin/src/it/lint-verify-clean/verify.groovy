// Both contracts load, the rename round-trips, and diff has no baseline to compare with.
def log = new File(basedir, 'build.log').text

assert log.contains('[INFO] lint: 2 contracts, no problems')
assert log.contains('[INFO] OK   crm.people step 1.0 -> 2.0 (UPGRADE nameToFullName; DOWNGRADE fullNameToName): 200 records came back equal')
assert log.contains('[INFO] verify: 1 major step, 0 failed')
assert log.contains('[INFO] kontract diff: no baseline configured (kontract.baseline), skipped')
assert log.contains('BUILD SUCCESS')
assert !log.contains('[ERROR]')
