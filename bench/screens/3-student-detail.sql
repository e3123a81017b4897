-- Screen 3 by hand: one student's detail page. Variables: district, student, today,
-- year_start.
SELECT s.id, s.legal_first_name, s.legal_last_name, s.preferred_name, s.birth_date,
       s.grade_level, s.local_id, s.status, cur.name AS school
  FROM student s
  LEFT JOIN LATERAL (
        SELECT sc.name FROM enrollment e JOIN school sc ON sc.id = e.school_id
         WHERE e.student_id = s.id AND e.deleted_at IS NULL AND e.entry_date <= :today
           AND (e.exit_date IS NULL OR e.exit_date >= :today)
         ORDER BY e.is_primary DESC, e.entry_date DESC LIMIT 1) cur ON true
 WHERE s.id = :student AND s.district_id = :district AND s.deleted_at IS NULL;

SELECT sc.name, e.entry_date, e.exit_date, e.is_primary, e.grade_level
  FROM enrollment e JOIN school sc ON sc.id = e.school_id
 WHERE e.student_id = :student AND e.district_id = :district AND e.deleted_at IS NULL
 ORDER BY e.entry_date DESC;

SELECT sg.relationship, sg.lives_with, sg.contact_priority, sg.restriction,
       g.first_name, g.last_name, g.phone, g.email
  FROM student_guardian sg JOIN guardian g ON g.id = sg.guardian_id
 WHERE sg.student_id = :student AND sg.district_id = :district AND sg.deleted_at IS NULL
   AND g.deleted_at IS NULL
 ORDER BY sg.contact_priority;

SELECT domain, tier, effective_from FROM tier_placement
 WHERE student_id = :student AND district_id = :district AND effective_to IS NULL
 ORDER BY domain;

SELECT p.id, p.status, p.start_date, p.planned_end_date, p.goal, p.baseline, p.target, i.name
  FROM student_intervention p JOIN intervention i ON i.id = p.intervention_id
 WHERE p.student_id = :student AND p.district_id = :district
 ORDER BY p.start_date DESC;

SELECT plan_id, date, value
  FROM (SELECT pp.plan_id, pp.date, pp.value,
               row_number() OVER (PARTITION BY pp.plan_id ORDER BY pp.date DESC) AS n
          FROM progress_point pp JOIN student_intervention p ON p.id = pp.plan_id
         WHERE p.student_id = :student AND p.district_id = :district) points
 WHERE n <= 5;

SELECT EXISTS (SELECT 1 FROM iep_participation
                WHERE student_id = :student AND district_id = :district
                  AND status IN ('ACTIVE', 'ELIGIBLE')) AS has_iep_or_504,
       (SELECT json_build_object('identified', h.identified_date,
                                 'residence', h.primary_nighttime_residence)
          FROM homeless_status h
         WHERE h.student_id = :student AND h.district_id = :district AND h.end_date IS NULL
         LIMIT 1) AS homeless,
       (SELECT json_build_object('days', count(*), 'absent',
                 sum(CASE WHEN a.status IN ('EXCUSED', 'UNEXCUSED') THEN 1 ELSE 0 END))
          FROM attendance_day a
         WHERE a.student_id = :student AND a.district_id = :district
           AND a.date BETWEEN :year_start AND :today) AS attendance;
