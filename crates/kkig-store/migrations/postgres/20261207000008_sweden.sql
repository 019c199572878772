-- All of Sweden's 290 municipalities (PostgreSQL): the role 'other' beside 'participant' and
-- 'campus', for municipalities outside the region that are valid wherever a municipality is
-- entered.

ALTER TABLE municipalities DROP CONSTRAINT municipalities_role_check;

ALTER TABLE municipalities ADD CONSTRAINT municipalities_role_check
    CHECK (role IN ('participant', 'campus', 'other'));
