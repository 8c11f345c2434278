-- The 4Rs are reference data every installation needs (seed 004: the Relational Care
-- Faculty's principles, each with a face towards patients and one towards staff).
INSERT INTO "principle" ("key", "name", "summary", "patient_focus", "staff_focus", "sort_order") VALUES
('RIGHTS_BASED', 'Rights-based',
 'Care that respects people''s rights to life, citizenship, autonomy, choice, equality and freedom from coercion and harm.',
 'Rights to life, citizenship, autonomy, choice, equality and freedom from coercion and harm.',
 'Organisational practices respect employee rights and promote autonomy, choice, equality and freedom from command, control and punitive approaches.',
 1),
('RELATIONAL', 'Relational',
 'Care that prioritises compassionate and therapeutic relationships with the person at the centre of their support network and community.',
 'Compassionate, therapeutic relationships with the person inside their network and community.',
 'Working relationships are kind, open and promote psychological safety and professional curiosity; diversity of voice is valued.',
 2),
('REFLECTIVE', 'Reflective',
 'Reflective support to the whole system, with lived experience leadership and peer support.',
 'Lived experience leadership and peer support are valued and built into the infrastructure.',
 'Staff are supported through reflective practice to be alongside people in their distress.',
 3),
('RESPONSIVE', 'Responsive',
 'Care with clinical continuity to the person and their whole network; experience measured continuously, evaluated and improved.',
 'Clinical continuity to the person and their network; patient experience measured continuously and acted on.',
 'Timely support and visible leadership modelling relational ways of working; staff experience measured continuously.',
 4);
